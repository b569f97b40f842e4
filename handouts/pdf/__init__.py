"""Drawing a personalized handout as a PDF with reportlab: pages, pictures, the log, letterhead, fonts."""
