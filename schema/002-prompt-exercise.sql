-- sitlog schema, migration 2: the exercise a prompt suggested (an id of the catalogue, or NULL
-- when none could be read).
ALTER TABLE prompts ADD COLUMN exercise TEXT;
