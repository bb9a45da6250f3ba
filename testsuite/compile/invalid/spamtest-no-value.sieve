require "spamtest";
if spamtest { discard; }
