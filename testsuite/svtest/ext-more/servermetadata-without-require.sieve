require "mboxmetadata";
if servermetadataexists "/shared/admin" { keep; }
