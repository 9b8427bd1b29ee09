namespace Ndhm.Infrastructure;
internal static class AssemblyMarker;
