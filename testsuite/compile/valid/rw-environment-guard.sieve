require ["environment", "reject", "ereject"];
# Refuse at SMTP time when the MTA runs us, else reject after delivery.
if size :over 50M {
  if environment :is "phase" "during" { ereject "Too large."; }
  else { reject "Too large."; }
}
