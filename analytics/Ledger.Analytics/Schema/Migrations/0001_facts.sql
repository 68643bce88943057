-- Facts and dimensions of the labour-contract lifecycle, as the indexer reads them from certified blocks.
-- One row in lifecycle_facts per successful contract tx (one lifecycle event), keyed by its place in the chain.
-- No name, ID number or phone number anywhere: the worker is its pseudonym (32 bytes), nothing else.

CREATE TABLE index_checkpoint (
    singleton    boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    chain_id     text        NOT NULL,
    height       bigint      NOT NULL,        -- the last block whose rows are committed (0: none yet)
    block_hash   bytea       NOT NULL,
    block_time   timestamptz NOT NULL,
    scope        text        NOT NULL         -- 'observer' or 'bureau:<division>': what the rows cover
);

-- Dimensions.
CREATE TABLE divisions (
    code   char(12) PRIMARY KEY,
    level  smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    parent char(12)
);

CREATE TABLE industries (
    code    text    PRIMARY KEY,               -- as on chain: a section letter with up to four digits, or four digits
    section char(1) NOT NULL
);

CREATE TABLE actions (code smallint PRIMARY KEY, name text NOT NULL);
CREATE TABLE dissolution_bases (code smallint PRIMARY KEY, name text NOT NULL, economic boolean NOT NULL);
CREATE TABLE termination_reasons (code smallint PRIMARY KEY, name text NOT NULL);
CREATE TABLE contract_types (code smallint PRIMARY KEY, name text NOT NULL);

CREATE TABLE employers (
    credit_code         char(18) PRIMARY KEY,
    registered_division char(12),              -- credit code digits 3-8, padded to 12
    in_force            integer  NOT NULL DEFAULT 0,
    first_height        bigint   NOT NULL
);

-- Each contract's state as the indexer follows it (the chaincode's lifecycle, enough to tell when a version is in force).
CREATE TABLE contracts (
    contract_id          text     PRIMARY KEY,
    employer_credit_code char(18) NOT NULL,
    worker_pseudonym     bytea    NOT NULL,
    status               smallint NOT NULL,     -- Ledger.Core.Contracts.ContractStatus
    latest_version       integer  NOT NULL,
    latest_created_by    smallint NOT NULL,     -- the action that proposed the latest version
    latest_employer_signed boolean NOT NULL,
    latest_worker_signed boolean NOT NULL,
    effective_version    integer  NOT NULL,     -- 0: none in force yet
    contract_type        smallint NOT NULL,     -- of the latest version
    start_date           date     NOT NULL,
    end_date             date,
    probation_end        date,
    place_of_work        char(12) NOT NULL,
    industry             text     NOT NULL,
    paper                boolean  NOT NULL,
    concluded_at         timestamptz,           -- the first version came into force
    closed_at            timestamptz            -- dissolved or terminated
);
CREATE INDEX contracts_employer ON contracts (employer_credit_code);
CREATE INDEX contracts_worker ON contracts (employer_credit_code, worker_pseudonym);

CREATE TABLE lifecycle_facts (
    height               bigint      NOT NULL,
    tx_index             integer     NOT NULL,
    tx_id                bytea       NOT NULL,
    block_time           timestamptz NOT NULL,
    month                date        NOT NULL,   -- first day of the block time's month, UTC+8
    action               smallint    NOT NULL REFERENCES actions,
    contract_id          text        NOT NULL,
    version              integer     NOT NULL,
    employer_credit_code char(18)    NOT NULL,
    province             char(12)    NOT NULL,
    city                 char(12)    NOT NULL,
    county               char(12)    NOT NULL,
    town                 char(12)    NOT NULL,
    village              char(12)    NOT NULL,
    industry_section     char(1)     NOT NULL,
    industry_class       text        NOT NULL,   -- as on chain (section letter and digits, or four digits)
    contract_type        smallint    NOT NULL,
    probation            boolean     NOT NULL,   -- the version concerned has a probation period
    term_days            integer,                -- its term in days, when it has an end
    basis                smallint,               -- dissolutions: the basis (0: withheld from this scope)
    reason               smallint,               -- terminations: the reason
    effective_date       date,                   -- dissolutions and terminations
    worker_pseudonym     bytea       NOT NULL,
    employer_signed      boolean     NOT NULL,   -- sign txs: whose statement signatures it carried
    worker_signed        boolean     NOT NULL,
    concluded            smallint    NOT NULL,   -- the action whose version came into force with this event (0: none)
    opened               boolean     NOT NULL,   -- the contract's first version came into force
    closed               boolean     NOT NULL,   -- dissolved or terminated
    PRIMARY KEY (height, tx_index)
);
CREATE INDEX facts_city_month ON lifecycle_facts (city, month);
CREATE INDEX facts_county_month ON lifecycle_facts (county, month);
CREATE INDEX facts_town ON lifecycle_facts (town, month);
CREATE INDEX facts_village ON lifecycle_facts (village, month);
CREATE INDEX facts_employer ON lifecycle_facts (employer_credit_code, block_time);
CREATE INDEX facts_month ON lifecycle_facts (month);
CREATE INDEX facts_layoffs ON lifecycle_facts (employer_credit_code, block_time) WHERE basis = 15;
CREATE INDEX facts_worker ON lifecycle_facts (employer_credit_code, worker_pseudonym) WHERE concluded <> 0;
