require "reject";
redirect "carol@example.com";
reject "No.";
