from fleet_planner.cli import app

app()
