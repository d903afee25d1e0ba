"""Demo and synthetic data, and the commands that load them (``load_demo``, ``demo_accounts``, ``generate_data``).

Installed by the local and test settings only: production never runs any of it. The domain apps
know nothing of this app; it writes through their services (the demo) or straight into their
tables (the synthetic benchmark data).
"""
