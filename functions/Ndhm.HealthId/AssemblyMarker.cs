namespace Ndhm.HealthId;
internal static class AssemblyMarker;
