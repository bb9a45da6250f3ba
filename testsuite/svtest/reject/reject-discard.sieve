require "reject";
reject "No.";
discard;
