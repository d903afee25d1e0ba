"""Developer tools that are not part of the deployed application (run from the repository root)."""
