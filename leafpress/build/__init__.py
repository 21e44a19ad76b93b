"""The build: plan the jobs, run them in workers, write outputs, remember what they were made from."""
