-- The payment list's statement (PagesRepository.payments) for each benchmark scenario, with the
-- plan PostgreSQL chose: every one must be an index range read of about 51 rows, never a sort of
-- the table. psql -v merchant=.. -v order_id=.. -v day=.. -v first_day=.. -v deep_at=<epoch us> -v deep_id=..
\pset pager off
\set list 'select p.id, p.payment_key, p.merchant_id, m.name, o.order_id, o.order_name, p.status, p.method, p.total_amount, p.balance_amount, p.requested_at, p.approved_at from payment p join orders o on o.id = p.order_pk join merchant m on m.id = p.merchant_id'
\set page 'order by p.requested_at desc, p.id desc limit 51'

\echo '-- first page'
explain (analyze, buffers, costs off) :list :page;
\echo '-- deep page (keyset after the middle row)'
explain (analyze, buffers, costs off) :list where (p.requested_at, p.id) < (to_timestamp(:deep_at / 1000000.0), :deep_id) :page;
\echo '-- one merchant'
explain (analyze, buffers, costs off) :list where p.merchant_id = :merchant :page;
\echo '-- status UNKNOWN'
explain (analyze, buffers, costs off) :list where p.status = 'UNKNOWN' :page;
\echo '-- one Seoul day'
explain (analyze, buffers, costs off) :list where p.requested_at >= (:'day'::date)::timestamp at time zone 'Asia/Seoul'
    and p.requested_at < (:'day'::date + 1)::timestamp at time zone 'Asia/Seoul' :page;
\echo '-- orderId or paymentKey'
explain (analyze, buffers, costs off) :list where p.id in (select s.id from payment s where s.payment_key = :'order_id'
    union all select s.id from orders x join payment s on s.order_pk = x.id where x.order_id = :'order_id') :page;
\echo '-- merchant + status + day'
explain (analyze, buffers, costs off) :list where p.merchant_id = :merchant and p.status = 'DONE'
    and p.requested_at >= (:'first_day'::date)::timestamp at time zone 'Asia/Seoul'
    and p.requested_at < (:'first_day'::date + 1)::timestamp at time zone 'Asia/Seoul' :page;
