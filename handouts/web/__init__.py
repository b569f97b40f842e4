"""The discharge form: a small web app over the same build path as the command line."""
