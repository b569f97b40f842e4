"""A patient's handout as plain data: personalized sections, doses in words, the week's log. No reportlab here."""
