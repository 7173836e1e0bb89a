"""The weekly run's steps, one function per Step Functions task."""
