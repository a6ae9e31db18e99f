"""Command line (`rasd`) and the scheduler that drive the stages."""
