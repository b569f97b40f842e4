"""One handout per roster record, in a process pool, with a manifest."""
