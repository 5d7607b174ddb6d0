"""Reporting: result folders, tables, charts, the HTML report, the workbook and translations.

Reads plan tables (the same DataFrames as the result folder's CSV files), the scenario and the
catalogue; never imports the solver layer.
"""
