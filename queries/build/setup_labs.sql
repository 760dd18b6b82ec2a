-- setup_labs: loads the snapshot's labs.csv into table `labs`.
-- Creates: labs(author, lab_name, country_code, country_name). Parameters: $labs_csv (path).
CREATE TABLE labs AS
SELECT author, lab_name, country_code, country_name
FROM read_csv($labs_csv, header = true, all_varchar = true, auto_detect = false,
              columns = {'author': 'VARCHAR', 'lab_name': 'VARCHAR',
                         'country_code': 'VARCHAR', 'country_name': 'VARCHAR'})
