-- Compliance store of the Example Agency sample audit (spec section 3.5).
-- Built into compliance.sqlite by the Makefile with Python's sqlite3 module.
-- Holds the agency archive: Wickr messages from 2020-07-01 to 2021-06-30 (later
-- ones arrive as data-retention bot output, samples/wickr/), Teams chat, and the
-- retention policies. The Wickr policy (1095 days for every role) is too short
-- for capstone and standard accounts. An offboarding clean-up job purged the
-- Teams chat of a departed employee and of a contractor on 2021-05-03.
CREATE TABLE messages (
  message_id      TEXT PRIMARY KEY,
  app             TEXT NOT NULL,
  account         TEXT NOT NULL,     -- sender account
  conversation_id TEXT,
  sent_at         TEXT NOT NULL,     -- ISO 8601
  captured_at     TEXT NOT NULL,
  sha256          TEXT,              -- of the captured body
  purged_at       TEXT,              -- set when the archive itself deleted it
  purge_reason    TEXT
);
CREATE TABLE retention_policies (
  app TEXT NOT NULL, role TEXT,      -- NULL role = all roles
  retention_days INTEGER,            -- NULL = keep indefinitely
  effective_on TEXT
);

INSERT INTO retention_policies VALUES ('wickr', NULL, 1095, '2020-07-01');
INSERT INTO retention_policies VALUES ('teams', NULL, NULL, '2019-01-01');

-- Wickr, compliance network (archived from the data-retention bot)
INSERT INTO messages VALUES ('546c64b9c1f5a1bf747a29a7a77b2764', 'wickr', 'wickr:d.reyes@example.gov', 'Sbe59d967eed5c45e29343431d82a5822b2384b243c3e493ab4ada8d826838ee', '2020-07-01T15:00:00Z', '2020-07-01T15:00:02Z', '7d9fe8165c89c37a3930594229178aa4585a22168a3f60e3c7e2a647620f9397', NULL, NULL);
INSERT INTO messages VALUES ('fb479db418cc9b47019e9e7d41c1ebe0', 'wickr', 'wickr:m.bell@example.gov', 'Sbe59d967eed5c45e29343431d82a5822b2384b243c3e493ab4ada8d826838ee', '2020-07-01T15:04:10Z', '2020-07-01T15:04:12Z', '5e04fa9d49f4be4c7af481e95c2fb4864df361fb5e0b30720c1a9599ddb8cbbc', NULL, NULL);
INSERT INTO messages VALUES ('751798886646b5310b245fe6dbe77cf8', 'wickr', 'wickr:p.natarajan@example.gov', '480407fb112fa0f305a2fc77c72e2a1f16be93059018eaf37b2c39577c1d5fc7', '2020-09-14T13:30:00Z', '2020-09-14T13:30:02Z', 'a8d93df2bc811f9a6f12c83bc086d9f4021805aaf7666942482fcbf6a240f7f8', NULL, NULL);
INSERT INTO messages VALUES ('1af0ae08531446a8ddb910c410032ba4', 'wickr', 'wickr:t.alvarez@example.gov', 'Sbe59d967eed5c45e29343431d82a5822b2384b243c3e493ab4ada8d826838ee', '2020-11-03T19:12:00Z', '2020-11-03T19:12:02Z', '4ff7c0005772ef4e2c61f356ca69abf221c694cd3e432fe7c8d32ab8620e53ee', NULL, NULL);
INSERT INTO messages VALUES ('f000d679553c4a5eeb6dbd520023098b', 'wickr', 'wickr:d.reyes@example.gov', 'bb39e30b3f04303395da7b4130e592b3a4a17fb1de78735d91697204a7addbf4', '2021-02-10T16:00:00Z', '2021-02-10T16:00:02Z', '3813de86a1b16ae1f9ceb2f9f946caf0a4615470e6baa3e0ac9f0bf36005e579', NULL, NULL);
INSERT INTO messages VALUES ('eeb80bcb00a7946efb7d3f010833d630', 'wickr', 'wickr:l.park@example.gov', 'Sbe59d967eed5c45e29343431d82a5822b2384b243c3e493ab4ada8d826838ee', '2021-04-19T14:25:00Z', '2021-04-19T14:25:02Z', 'a3e327c9ba3ccbd78c725a538bb8c36b524c490994371fb422b31862d4f8ca4f', NULL, NULL);
INSERT INTO messages VALUES ('19428fdbea0702e92bd8b47122dcfd58', 'wickr', 'wickr:j.hale@example.gov', 'c2b5a6ba9f326156ab6d02d90a737a884e991d55b5685da06af3bc9c921db688', '2021-06-07T17:40:00Z', '2021-06-07T17:40:02Z', '83edb48a9c1b94f71183fff46adc2d0dea2af6cb492760b82783aee69c421068', NULL, NULL);
INSERT INTO messages VALUES ('ef3fe090898acc92614f60664d7dfe65', 'wickr', 'wickr:l.park@example.gov', 'bb39e30b3f04303395da7b4130e592b3a4a17fb1de78735d91697204a7addbf4', '2021-06-08T13:10:00Z', '2021-06-08T13:10:02Z', '71a0ebe808600c75eeffc8db98d12adba431ac9867b4af4e1a6f47233a2294e4', NULL, NULL);

-- Teams chat
INSERT INTO messages VALUES ('1572880800137', 'teams', 'teams:g.whitfield@example.gov', '19:d064b37248d432f5c902dfe6163716f8@thread.v2', '2019-11-04T15:20:00Z', '2019-11-04T15:20:40Z', 'cb06b43e0d780c9e3ca38cf828e626878ab2323e7e57515baf78c5e46121f048', '2021-05-03T06:00:00Z', 'offboarding clean-up');
INSERT INTO messages VALUES ('1584366300138', 'teams', 'teams:g.whitfield@example.gov', '19:d064b37248d432f5c902dfe6163716f8@thread.v2', '2020-03-16T13:45:00Z', '2020-03-16T13:45:40Z', '7dbf49cf30caead90a6aa1ab020cfafd59a211b774a36c8474213dda38b138a9', '2021-05-03T06:00:00Z', 'offboarding clean-up');
INSERT INTO messages VALUES ('1602177000139', 'teams', 'teams:g.whitfield@example.gov', '19:d064b37248d432f5c902dfe6163716f8@thread.v2', '2020-10-08T17:10:00Z', '2020-10-08T17:10:40Z', '09dfe01476078acef93e0da116da9314509fb69805fcf731dc316ad925e79e50', '2021-05-03T06:00:00Z', 'offboarding clean-up');
INSERT INTO messages VALUES ('1615818600140', 'teams', 'teams:g.whitfield@example.gov', '19:d064b37248d432f5c902dfe6163716f8@thread.v2', '2021-03-15T14:30:00Z', '2021-03-15T14:30:40Z', '8197c685e85e978c83934eb98b1584f8c48820299512705b1080b6edaf2ff39a', '2021-05-03T06:00:00Z', 'offboarding clean-up');
INSERT INTO messages VALUES ('1619625900141', 'teams', 'teams:g.whitfield@example.gov', '19:d064b37248d432f5c902dfe6163716f8@thread.v2', '2021-04-28T16:05:00Z', '2021-04-28T16:05:40Z', '635428d2f3794d267ca9c96d941a35fad91e80c3b4887126221cea9699141eb2', NULL, NULL);
INSERT INTO messages VALUES ('1581433200142', 'teams', 'teams:r.ibanez@contractor.example.com', '19:d064b37248d432f5c902dfe6163716f8@thread.v2', '2020-02-11T15:00:00Z', '2020-02-11T15:00:40Z', '489c681ffa75e133e7e8f8a039c69ef3ae68bde6eea17ae0f5ad1e3f95e54025', '2021-05-03T06:00:00Z', 'offboarding clean-up');
INSERT INTO messages VALUES ('1581503400143', 'teams', 'teams:r.ibanez@contractor.example.com', '19:d064b37248d432f5c902dfe6163716f8@thread.v2', '2020-02-12T10:30:00Z', '2020-02-12T10:30:40Z', '2814ff674a97f7cf9714730cc7dfd2068784698ed77b438f33d63b190d3896a2', '2021-05-03T06:00:00Z', 'offboarding clean-up');
INSERT INTO messages VALUES ('1497276000144', 'teams', 'teams:l.park@example.gov', '19:375319bb1211381659628d5a0bc41ed8@thread.v2', '2017-06-12T14:00:00Z', '2017-06-12T14:00:40Z', '02e0ec28ba48dcc1182b9b1feec7caf95d5a2ec686ccf0f559b5448cfc878c2d', '2021-06-30T03:00:00Z', 'GRS 6.1 item 012 disposition');
INSERT INTO messages VALUES ('1516635000145', 'teams', 'teams:l.park@example.gov', '19:375319bb1211381659628d5a0bc41ed8@thread.v2', '2018-01-22T15:30:00Z', '2018-01-22T15:30:40Z', '3e82e656f668100dbb8bd9f46bf4b1fd1d8d8ec8d1a563d19d31fddf21e2b995', '2021-06-30T03:00:00Z', 'GRS 6.1 item 012 disposition');
INSERT INTO messages VALUES ('1626699600146', 'teams', 'teams:l.park@example.gov', '19:375319bb1211381659628d5a0bc41ed8@thread.v2', '2021-07-19T13:00:00Z', '2021-07-19T13:00:40Z', '40f5a8cae0c470c9b2c51f3959f084a4564db364fe25477297e0fc638ea53dd3', NULL, NULL);
