package io.uplift.api;

/**
 * What 'uplift db start' or 'uplift db stop' found or did to the installation's database server.
 * NOT_MANAGED: the installation uses a server Uplift does not run, so nothing was done.
 */
public enum ServerState { NOT_MANAGED, RUNNING, STARTED, STOPPED }
