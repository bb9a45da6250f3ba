require "duplicate";
if duplicate "Message-Id" { discard; }
