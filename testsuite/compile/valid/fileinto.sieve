require "fileinto";
if header :contains "Subject" "invoice" { fileinto "Finance/Invoices"; }
fileinto "INBOX.Archive";
