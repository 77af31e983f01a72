-- The console's overview groups 30 days of approvals by Seoul calendar day. Without statistics on
-- that expression the planner guesses one group per row and sorts the whole range (on disk, at a
-- million rows); with them it knows there are about as many groups as days and hashes (2x faster,
-- measured in docs/benchmarks.md). The expression must stay the same as ConsoleRepository's.
create statistics payment_approved_seoul_day on ((approved_at at time zone 'Asia/Seoul')::date) from payment;
create statistics payment_cancel_canceled_seoul_day on ((canceled_at at time zone 'Asia/Seoul')::date) from payment_cancel;
