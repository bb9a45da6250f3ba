require "reject";
reject;
