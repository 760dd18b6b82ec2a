-- setup_derived_forget: detaches a query database whose build key did not match (it is
-- then rebuilt or left alone). Parameters: none.
DETACH snap
