-- Finance console and merchant portal: the payment list is read newest first, 50 rows at a time,
-- by keyset (requested_at, id) < (cursor). Each filter has an index that returns its rows already
-- in that order, so a page reads about 50 index entries whatever the table's size:
--   all merchants                -> payment_requested
--   one status (e.g. UNKNOWN)    -> payment_status_requested
--   one merchant                 -> payment_merchant_requested (V1)
--   a paymentKey                 -> payment_payment_key_key (V1, unique)
--   an orderId (any merchant)    -> orders_order_id, then payment_order (an order's payments,
--                                   the aborted ones too: payment_one_live_per_order skips those)
create index payment_requested on payment (requested_at desc, id desc);
create index payment_status_requested on payment (status, requested_at desc, id desc);
create index orders_order_id on orders (order_id);
create index payment_order on payment (order_pk);
