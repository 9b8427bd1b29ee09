namespace Ndhm.Registry;

internal static class AssemblyMarker;
