ereject "no";
