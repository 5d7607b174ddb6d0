"""Analyses that call the pipeline: a client's plan against the optimum (client_plan.py)."""
