require ["fileinto", "fcc"];
fileinto :fcc "Sent" "INBOX";
