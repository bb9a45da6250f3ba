require "ereject";
ereject "Refused during the SMTP dialogue.";
