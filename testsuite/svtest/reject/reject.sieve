require "reject";
reject "Not accepted here.";
