DROP TABLE saved_report_files;
DROP TABLE saved_reports;
DROP FUNCTION refuse_change_when_signed();
