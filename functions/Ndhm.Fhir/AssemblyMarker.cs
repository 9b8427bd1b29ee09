namespace Ndhm.Fhir;
internal static class AssemblyMarker;
