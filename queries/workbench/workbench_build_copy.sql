-- workbench_build_copy: copies the tables people may query in the SQL workbench (the
-- snapshot's usage, models and labs, as the app's query database shows them, and its
-- providers, model_endpoints, empty when the snapshot has none) into the
-- attached `workbench_build` file.
-- Returns: nothing. Parameters: none.
CREATE TABLE workbench_build.usage AS FROM usage;
CREATE TABLE workbench_build.models AS FROM models;
CREATE TABLE workbench_build.labs AS FROM labs;
CREATE TABLE workbench_build.model_endpoints AS FROM model_endpoints;
