-- The front end (WIRE, MCP, CLI) a request was made on: its approval is used only there. Null for
-- requests made before this column, which can then be used nowhere (ask again).
ALTER TABLE approval_request ADD COLUMN requested_on text;
