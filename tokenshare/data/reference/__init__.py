"""The curated reference tables shipped as data files beside this module (labs,
open-weights overrides, the sample's catalogue, the spend assumptions) and ``spend``,
the reader of the spend evidence. Imports only core."""
