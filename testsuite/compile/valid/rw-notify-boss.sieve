require ["enotify", "variables", "imap4flags"];
if address :is "from" "boss@example.org" {
  if header :matches "Subject" "*" { set "s" "${1}"; }
  notify :importance "1" :message "Boss wrote: ${s}"
         "mailto:me-sms@example.org?subject=Boss%20mail";
  addflag "\\Flagged";
}
