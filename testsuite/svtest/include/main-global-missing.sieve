require "include";
include :global "fileinto-a";
