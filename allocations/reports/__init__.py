"""The weekly shortfall report (docs/operations.md, "The weekly shortfall report").

- `figures`, `ledger` and `hiring` compute every figure from the week's plan, its alerts and
  the delivery ledger (the same reads as `export_allocation`);
- `services` builds a week's report and stores it whole, or records why it failed;
- `scoped` cuts a stored report to what a reader may see; `csvfile`, `pdf` and the template
  `reports/report.html` write it out; `charts` draws the heat map and the trend lines;
- `schedule` keeps each district's weekly job in django-celery-beat; `tasks` runs it.
"""
