-- Version 19: staff accounts. Who acted is an account that signed in with
-- its own password, not a name typed on the command line. Trail and audit
-- rows written before keep the operator text they were written with.
CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    login           TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    -- Argon2id in the PHC string format; never a reversible password.
    password_hash   TEXT NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,
    must_change     INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    changed_at      TEXT,
    changed_by      TEXT
) STRICT;

CREATE TABLE account_roles (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    role       TEXT NOT NULL CHECK (role IN ('clerk', 'approver', 'admin', 'backup')),
    PRIMARY KEY (account_id, role)
) STRICT;
