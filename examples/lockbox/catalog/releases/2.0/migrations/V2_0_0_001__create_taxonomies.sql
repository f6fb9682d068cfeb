-- Lockbox 2.0: threats are classified in a taxonomy tree. The tree is created here; the
-- post-upgrade task "update-taxonomies" files the existing threats into it.

CREATE TABLE taxonomies (
    id        bigserial PRIMARY KEY,
    name      text      NOT NULL UNIQUE,
    parent_id bigint    REFERENCES taxonomies (id)
);

CREATE INDEX taxonomies_parent_id_idx ON taxonomies (parent_id);

INSERT INTO taxonomies (name, parent_id) VALUES ('attack', NULL), ('compliance', NULL), ('unclassified', NULL);
INSERT INTO taxonomies (name, parent_id)
SELECT child.name, parent.id
FROM (VALUES ('malware', 'attack'),
             ('phishing', 'attack'),
             ('brute-force', 'attack'),
             ('exfiltration', 'attack'),
             ('policy', 'compliance')) AS child (name, parent_name)
JOIN taxonomies parent ON parent.name = child.parent_name;

ALTER TABLE threats ADD COLUMN taxonomy_id bigint REFERENCES taxonomies (id);
CREATE INDEX threats_taxonomy_id_idx ON threats (taxonomy_id);
