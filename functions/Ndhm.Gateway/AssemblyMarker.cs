namespace Ndhm.Gateway;

internal static class AssemblyMarker;
