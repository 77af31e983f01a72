-- Bank account numbers are kept encrypted (AES-GCM, DataCipher in core: "v1:<key id>:<base64>"); V72, a
-- Java migration that holds the key, encrypted the plaintext ones. From here on the database refuses a
-- plaintext number, so no code path can store one by mistake (and this migration fails, instead of
-- hiding them, if V72 did not run).
alter table merchant add constraint merchant_payout_account_number_encrypted
    check (payout_account_number is null or payout_account_number ~ '^v1:[A-Za-z0-9_-]{1,16}:[A-Za-z0-9_-]+$');
alter table payout add constraint payout_account_number_encrypted
    check (account_number is null or account_number ~ '^v1:[A-Za-z0-9_-]{1,16}:[A-Za-z0-9_-]+$');
