require "include";
include :global "gl-fileinto";
