-- The report step reads the payouts of a date whose report is not written yet, in id order. It used to
-- page through all payouts of the date joined to their settlements (10,000 probes a page, 20 ms each
-- of 100 pages); this index holds only the payouts still without a report, normally none or a day's.
create index payout_report_missing on payout (id) where report_csv_path is null;
