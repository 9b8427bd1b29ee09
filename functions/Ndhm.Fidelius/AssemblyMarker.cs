namespace Ndhm.Fidelius;
internal static class AssemblyMarker;
