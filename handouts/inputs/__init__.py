"""Reading what users write: YAML with lines, and the validated models of content, layouts, patient
files, rosters and settings."""
