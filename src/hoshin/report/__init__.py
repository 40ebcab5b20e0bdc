"""Templates of the board report (report.html, report.css); rendered by hoshin.service.report."""
