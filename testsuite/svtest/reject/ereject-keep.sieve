require "ereject";
ereject "No.";
keep;
