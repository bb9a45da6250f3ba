require "duplicate";
if duplicate :header "Message-Id" :uniqueid "x" { discard; }
