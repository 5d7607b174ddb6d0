"""The model's coefficients, one module per concern; `optimisation.inputs.prepare_inputs` assembles them.

money: currency conversion, discounting, purchase prices and residual values;
activity: demand, service and duty bands; cohorts: which vehicles exist and what may be done to
them; vehicles: per-cohort costs, energy, activity caps and values; energy: fuel options, prices
per GJ and emission factors; infrastructure; subsidies; policy: caps, budgets and limits.
"""
