require "reject";
reject 550;
